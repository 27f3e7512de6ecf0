// circular_ownership
// Firm-to-firm shareholdings in force that lie on a cycle of two to eight firms
// owning each other; the firms these holdings join are the cycles (credgraph groups
// the rows by shared firms into one finding per group). Only holdings whose link grade
// is in $grades count. Plain Cypher, no GDS.
// Params: $asOf (date or 'YYYY-MM-DD'), $grades (list of link grades that count)
// Returns: type, src (holder uscc), dst (held uscc), start_date, end_date, share_pct, link_grade
/*
:param {asOf: '2024-06-30', grades: ['exact', 'derived', 'strong']}
*/
MATCH (anchor:Enterprise)
      ((x:Enterprise)-[s:SHAREHOLDER_OF]->(y:Enterprise)
        WHERE x <> y
          AND (s.start_date IS NULL OR s.start_date <= date($asOf))
          AND (s.end_date IS NULL OR date($asOf) < s.end_date)
          AND coalesce(s.link_grade, 'exact') IN $grades){2,8}
      (anchor)
UNWIND s AS holding
WITH DISTINCT holding
RETURN 'SHAREHOLDER_OF' AS type,
       startNode(holding).uscc AS src,
       endNode(holding).uscc AS dst,
       holding.start_date AS start_date,
       holding.end_date AS end_date,
       holding.share_pct AS share_pct,
       holding.link_grade AS link_grade
ORDER BY src, dst, start_date;
