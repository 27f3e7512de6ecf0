// reregistration
// A principal of a black-listed person or firm takes a role (legal representative,
// officer, shareholder) in another firm that starts while the listing is in force:
// the firm was registered, or joined, under the bar. One row per listing, principal
// role in the listed firm (null when the person is listed personally) and new role.
// Only relationships whose link grade is in $grades count; the listing and every
// relationship map carry the grade of their link.
// Params: $asOf (date or 'YYYY-MM-DD'), $lists (list of black-list names), $minSharePct (float, smallest stake that makes a principal), $grades (list of link grades that count)
// Returns: person_id, uscc, firm_reg_date, listing (map), principal_of_listed (map or null), role (map)
/*
:param {asOf: '2024-06-30', minSharePct: 5.0, grades: ['exact', 'derived', 'strong'], lists: ['dishonest_debtor', 'consumption_restricted', 'major_tax_violation', 'procurement_blacklist', 'abnormal_operation', 'serious_violation', 'bribery_record']}
*/
MATCH (listed)-[held:HAS_LIST_ENTRY]->(entry:ListEntry)
WHERE entry.list IN $lists AND entry.listed_date <= date($asOf) AND coalesce(held.link_grade, 'exact') IN $grades
CALL (listed, entry) {
  WITH listed WHERE listed:Person
  RETURN listed AS person, null AS via
  UNION ALL
  MATCH (listed:Enterprise)<-[via:LEGAL_REP_OF|OFFICER_OF|SHAREHOLDER_OF]-(person:Person)
  WHERE (via.start_date IS NULL OR via.start_date <= entry.listed_date)
    AND (via.end_date IS NULL OR entry.listed_date < via.end_date)
    AND (type(via) <> 'SHAREHOLDER_OF' OR via.share_pct >= $minSharePct)
    AND coalesce(via.link_grade, 'exact') IN $grades
  RETURN person, via
}
MATCH (person)-[role:LEGAL_REP_OF|OFFICER_OF|SHAREHOLDER_OF]->(firm:Enterprise)
WHERE firm <> listed
  AND role.start_date IS NOT NULL
  AND entry.listed_date <= role.start_date
  AND (entry.removed_date IS NULL OR role.start_date < entry.removed_date)
  AND role.start_date <= date($asOf)
  AND (type(role) <> 'SHAREHOLDER_OF' OR role.share_pct >= $minSharePct)
  AND coalesce(role.link_grade, 'exact') IN $grades
RETURN person.person_id AS person_id,
       firm.uscc AS uscc,
       firm.reg_date AS firm_reg_date,
       entry {.entry_id, .list, .subject_id, .subject_type, .listed_date, .removed_date,
              grade: coalesce(held.link_grade, 'exact')} AS listing,
       CASE WHEN via IS NULL THEN null
            ELSE {type: type(via), src: person.person_id, dst: listed.uscc, start_date: via.start_date,
                  end_date: via.end_date, share_pct: via.share_pct, role: via.role,
                  link_grade: via.link_grade} END AS principal_of_listed,
       {type: type(role), src: person.person_id, dst: firm.uscc, start_date: role.start_date,
        end_date: role.end_date, share_pct: role.share_pct, role: role.role, link_grade: role.link_grade} AS role
ORDER BY person_id, uscc, listing.entry_id;
