// shell_cluster
// Ties between two firms in force that were registered at most $windowDays apart and
// share a contact point (address, phone, e-mail) or a principal (legal representative,
// officer, shareholder of at least $minSharePct, in force) that at most $maxSharedFirms
// firms in force share; with both firms' shell signs: registered capital and controller
// (the largest holder in force, if it holds at least $controlPct). credgraph groups the
// ties into clusters and scores their signs (docs/detectors.md). Only relationships
// whose link grade is in $grades count, in the ties, the counts and the controllers.
// Params: $asOf (date or 'YYYY-MM-DD'), $windowDays (integer), $maxSharedFirms (integer), $minSharePct (float), $controlPct (float), $grades (list of link grades that count)
// Returns: a, b (usccs, a < b), via (address | phone | email | person), id (the shared point or person), firm_a, firm_b (maps)
/*
:param {asOf: '2024-06-30', windowDays: 30, maxSharedFirms: 10, minSharePct: 5.0, controlPct: 50.0, grades: ['exact', 'derived', 'strong']}
*/
CALL () {
  MATCH (a:Enterprise)-[ca:HAS_ADDRESS|HAS_PHONE|HAS_EMAIL]->(point)<-[cb:HAS_ADDRESS|HAS_PHONE|HAS_EMAIL]-(b:Enterprise)
  WHERE a.uscc < b.uscc
    AND coalesce(ca.link_grade, 'exact') IN $grades AND coalesce(cb.link_grade, 'exact') IN $grades
    AND a.reg_date <= date($asOf) AND (a.end_date IS NULL OR date($asOf) < a.end_date)
    AND b.reg_date <= date($asOf) AND (b.end_date IS NULL OR date($asOf) < b.end_date)
    AND abs(duration.inDays(a.reg_date, b.reg_date).days) <= $windowDays
    AND size(COLLECT { MATCH (point)<-[cx:HAS_ADDRESS|HAS_PHONE|HAS_EMAIL]-(x:Enterprise)
                       WHERE coalesce(cx.link_grade, 'exact') IN $grades
                         AND x.reg_date <= date($asOf) AND (x.end_date IS NULL OR date($asOf) < x.end_date)
                       RETURN DISTINCT x.uscc }) <= $maxSharedFirms
  RETURN a, b, CASE WHEN point:Address THEN 'address' WHEN point:Phone THEN 'phone' ELSE 'email' END AS via,
         coalesce(point.address, point.phone, point.email) AS id
  UNION ALL
  MATCH (a:Enterprise)<-[ra:LEGAL_REP_OF|OFFICER_OF|SHAREHOLDER_OF]-(person:Person)
        -[rb:LEGAL_REP_OF|OFFICER_OF|SHAREHOLDER_OF]->(b:Enterprise)
  WHERE a.uscc < b.uscc
    AND a.reg_date <= date($asOf) AND (a.end_date IS NULL OR date($asOf) < a.end_date)
    AND b.reg_date <= date($asOf) AND (b.end_date IS NULL OR date($asOf) < b.end_date)
    AND abs(duration.inDays(a.reg_date, b.reg_date).days) <= $windowDays
    AND all(r IN [ra, rb] WHERE (r.start_date IS NULL OR r.start_date <= date($asOf))
                            AND (r.end_date IS NULL OR date($asOf) < r.end_date)
                            AND (type(r) <> 'SHAREHOLDER_OF' OR r.share_pct >= $minSharePct)
                            AND coalesce(r.link_grade, 'exact') IN $grades)
  WITH DISTINCT a, b, person
  WHERE size(COLLECT {
          MATCH (person)-[r:LEGAL_REP_OF|OFFICER_OF|SHAREHOLDER_OF]->(x:Enterprise)
          WHERE (r.start_date IS NULL OR r.start_date <= date($asOf))
            AND (r.end_date IS NULL OR date($asOf) < r.end_date)
            AND (type(r) <> 'SHAREHOLDER_OF' OR r.share_pct >= $minSharePct)
            AND coalesce(r.link_grade, 'exact') IN $grades
            AND x.reg_date <= date($asOf) AND (x.end_date IS NULL OR date($asOf) < x.end_date)
          RETURN DISTINCT x.uscc }) <= $maxSharedFirms
  RETURN a, b, 'person' AS via, person.person_id AS id
}
WITH a, b, via, id,
     COLLECT {
        MATCH (holder)-[s:SHAREHOLDER_OF]->(a)
        WHERE (s.start_date IS NULL OR s.start_date <= date($asOf)) AND (s.end_date IS NULL OR date($asOf) < s.end_date)
          AND coalesce(s.link_grade, 'exact') IN $grades
        WITH coalesce(holder.person_id, holder.uscc) AS holder_id, sum(s.share_pct) AS pct
        WHERE pct >= $controlPct
        RETURN {holder: holder_id, pct: pct} AS control ORDER BY pct DESC, holder_id LIMIT 1 } AS control_a,
     COLLECT {
        MATCH (holder)-[s:SHAREHOLDER_OF]->(b)
        WHERE (s.start_date IS NULL OR s.start_date <= date($asOf)) AND (s.end_date IS NULL OR date($asOf) < s.end_date)
          AND coalesce(s.link_grade, 'exact') IN $grades
        WITH coalesce(holder.person_id, holder.uscc) AS holder_id, sum(s.share_pct) AS pct
        WHERE pct >= $controlPct
        RETURN {holder: holder_id, pct: pct} AS control ORDER BY pct DESC, holder_id LIMIT 1 } AS control_b
RETURN a.uscc AS a, b.uscc AS b, via, id,
       {uscc: a.uscc, reg_date: a.reg_date, registered_capital: a.registered_capital,
        controller: control_a[0].holder, controller_share_pct: control_a[0].pct} AS firm_a,
       {uscc: b.uscc, reg_date: b.reg_date, registered_capital: b.registered_capital,
        controller: control_b[0].holder, controller_share_pct: control_b[0].pct} AS firm_b
ORDER BY a, b, via, id;
