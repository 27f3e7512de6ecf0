// guarantee_circle
// Guarantees in force on the date that lie on a cycle of guarantees in force
// between two to eight firms; the firms these guarantees join are the circles
// (credgraph groups the rows by shared firms into one finding per circle).
// Only guarantees whose link grade is in $grades count. Plain Cypher: bounded closed
// trails, no GDS needed.
// Params: $asOf (date or 'YYYY-MM-DD'), $grades (list of link grades that count)
// Returns: type, src (guarantor uscc), dst (debtor uscc), start_date, end_date, amount, link_grade
/*
:param {asOf: '2024-06-30', grades: ['exact', 'derived', 'strong']}
*/
MATCH (anchor:Enterprise)
      ((x:Enterprise)-[g:GUARANTEES]->(y:Enterprise)
        WHERE x <> y
          AND (g.start_date IS NULL OR g.start_date <= date($asOf))
          AND (g.end_date IS NULL OR date($asOf) < g.end_date)
          AND coalesce(g.link_grade, 'exact') IN $grades){2,8}
      (anchor)
UNWIND g AS guarantee
WITH DISTINCT guarantee
RETURN 'GUARANTEES' AS type,
       startNode(guarantee).uscc AS src,
       endNode(guarantee).uscc AS dst,
       guarantee.start_date AS start_date,
       guarantee.end_date AS end_date,
       guarantee.amount AS amount,
       guarantee.link_grade AS link_grade
ORDER BY src, dst, start_date;
