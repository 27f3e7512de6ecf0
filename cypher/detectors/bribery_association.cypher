// bribery_association
// A firm within two person or ownership hops (legal representative, officer,
// shareholder; either direction; every hop in force on the date) of the holder of a
// bribery record (penalty of category bribery, not revoked; or a bribery_record list
// entry) that won a bid on a day when the record counts: from its decision or listing
// date until its repair or removal date (exclusive). One row per firm and holder.
// Only relationships whose link grade is in $grades count; records, wins and every
// hop carry the grade of their link.
// Params: $asOf (date or 'YYYY-MM-DD'), $grades (list of link grades that count)
// Returns: uscc, holder_id, holder_type, records (list of maps), wins (list of maps), paths (list of {nodes, links})
/*
:param {asOf: '2024-06-30', grades: ['exact', 'derived', 'strong']}
*/
MATCH (holder)-[held:HAS_PENALTY|HAS_LIST_ENTRY]->(record)
WHERE coalesce(held.link_grade, 'exact') IN $grades
  AND ((record:Penalty AND record.category = 'bribery' AND coalesce(record.status, 'effective') <> 'revoked'
       AND record.decision_date <= date($asOf))
       OR (record:ListEntry AND record.list = 'bribery_record' AND record.listed_date <= date($asOf)))
WITH holder, record, coalesce(held.link_grade, 'exact') AS record_grade,
     coalesce(record.decision_date, record.listed_date) AS counts_from,
     CASE WHEN record:ListEntry THEN record.removed_date
          WHEN coalesce(record.status, 'effective') = 'repaired'
            THEN coalesce(record.repaired_date, record.decision_date) END AS counts_until
MATCH path = (holder)-[link:LEGAL_REP_OF|OFFICER_OF|SHAREHOLDER_OF
                        WHERE (link.start_date IS NULL OR link.start_date <= date($asOf))
                          AND (link.end_date IS NULL OR date($asOf) < link.end_date)
                          AND coalesce(link.link_grade, 'exact') IN $grades]-{1,2}(firm:Enterprise)
WHERE firm <> holder
MATCH (firm)-[bid:BID_ON]->(project:Project)
WHERE bid.won = true AND coalesce(bid.link_grade, 'exact') IN $grades
WITH holder, record, record_grade, counts_from, counts_until, path, firm, project, bid,
     coalesce(bid.bid_date, project.award_date, project.publish_date) AS won_on
WHERE won_on <= date($asOf) AND counts_from <= won_on AND (counts_until IS NULL OR won_on < counts_until)
WITH firm, holder,
     collect(DISTINCT CASE WHEN record:Penalty
       THEN record {.penalty_id, .category, .kind, .decision_date, status: coalesce(record.status, 'effective'),
                    .repaired_date, grade: record_grade}
       ELSE record {.entry_id, .list, .listed_date, .removed_date, grade: record_grade} END) AS records,
     collect(DISTINCT {project_id: project.project_id, date: won_on, amount: bid.amount,
                       grade: coalesce(bid.link_grade, 'exact')}) AS wins,
     collect(DISTINCT {
       nodes: [n IN nodes(path) | coalesce(n.person_id, n.uscc)],
       links: [r IN relationships(path) | {type: type(r), src: coalesce(startNode(r).person_id, startNode(r).uscc),
               dst: endNode(r).uscc, start_date: r.start_date, end_date: r.end_date, share_pct: r.share_pct,
               role: r.role, link_grade: r.link_grade}]}) AS paths
RETURN firm.uscc AS uscc,
       coalesce(holder.person_id, holder.uscc) AS holder_id,
       CASE WHEN holder:Person THEN 'person' ELSE 'enterprise' END AS holder_type,
       records, wins, paths
ORDER BY uscc, holder_id;
