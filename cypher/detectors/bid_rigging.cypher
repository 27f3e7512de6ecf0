// bid_rigging
// Pairs of firms that bid together on at least $minProjects projects (bids placed on or
// before the date: bid_date, else the project's award_date, else its publish_date) and
// are linked on the date: a shared principal (legal representative, officer, shareholder
// of at least $minSharePct), a shared contact point, or an ownership link (one holds the
// other, or a firm holds both). With every bid of each shared project, for Imhof's
// screens. credgraph groups the pairs into rings and scores them (docs/detectors.md).
// Only relationships whose link grade is in $grades count; each bid carries its grade.
// Params: $asOf (date or 'YYYY-MM-DD'), $minProjects (integer), $minSharePct (float), $grades (list of link grades that count)
// Returns: a, b (usccs, a < b), links (list of {kind, id}), projects (list of {project_id, publish_date, bids})
/*
:param {asOf: '2024-06-30', minProjects: 3, minSharePct: 5.0, grades: ['exact', 'derived', 'strong']}
*/
MATCH (a:Enterprise)-[ba:BID_ON]->(project:Project)<-[bb:BID_ON]-(b:Enterprise)
WHERE a.uscc < b.uscc
  AND coalesce(ba.bid_date, project.award_date, project.publish_date) <= date($asOf)
  AND coalesce(bb.bid_date, project.award_date, project.publish_date) <= date($asOf)
  AND coalesce(ba.link_grade, 'exact') IN $grades AND coalesce(bb.link_grade, 'exact') IN $grades
WITH a, b, collect(DISTINCT project) AS projects
WHERE size(projects) >= $minProjects
CALL (a, b) {
  MATCH (a)<-[ra:LEGAL_REP_OF|OFFICER_OF|SHAREHOLDER_OF]-(person:Person)-[rb:LEGAL_REP_OF|OFFICER_OF|SHAREHOLDER_OF]->(b)
  WHERE all(r IN [ra, rb] WHERE (r.start_date IS NULL OR r.start_date <= date($asOf))
                            AND (r.end_date IS NULL OR date($asOf) < r.end_date)
                            AND (type(r) <> 'SHAREHOLDER_OF' OR r.share_pct >= $minSharePct)
                            AND coalesce(r.link_grade, 'exact') IN $grades)
  RETURN {kind: 'person', id: person.person_id} AS link
  UNION
  MATCH (a)-[ca:HAS_ADDRESS|HAS_PHONE|HAS_EMAIL]->(point)<-[cb:HAS_ADDRESS|HAS_PHONE|HAS_EMAIL]-(b)
  WHERE coalesce(ca.link_grade, 'exact') IN $grades AND coalesce(cb.link_grade, 'exact') IN $grades
  RETURN {kind: CASE WHEN point:Address THEN 'address' WHEN point:Phone THEN 'phone' ELSE 'email' END,
          id: coalesce(point.address, point.phone, point.email)} AS link
  UNION
  MATCH (a)-[s:SHAREHOLDER_OF]-(b)
  WHERE (s.start_date IS NULL OR s.start_date <= date($asOf)) AND (s.end_date IS NULL OR date($asOf) < s.end_date)
    AND coalesce(s.link_grade, 'exact') IN $grades
  RETURN {kind: 'ownership', id: startNode(s).uscc} AS link
  UNION
  MATCH (a)<-[sa:SHAREHOLDER_OF]-(owner:Enterprise)-[sb:SHAREHOLDER_OF]->(b)
  WHERE all(s IN [sa, sb] WHERE (s.start_date IS NULL OR s.start_date <= date($asOf))
                            AND (s.end_date IS NULL OR date($asOf) < s.end_date)
                            AND coalesce(s.link_grade, 'exact') IN $grades)
  RETURN {kind: 'ownership', id: owner.uscc} AS link
}
WITH a, b, projects, collect(link) AS links
RETURN a.uscc AS a, b.uscc AS b, links,
       [p IN projects | {project_id: p.project_id, publish_date: p.publish_date,
                         bids: [(p)<-[x:BID_ON]-(f:Enterprise) WHERE coalesce(x.link_grade, 'exact') IN $grades |
                                {uscc: f.uscc, amount: x.amount, won: x.won, grade: coalesce(x.link_grade, 'exact')}]}]
         AS projects
ORDER BY a, b;
