use super::*;

#[test]
fn stage_list_matches_the_sql_directory() {
    let mut on_disk: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sql"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = all_stages().map(|s| s.file).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn every_stage_says_what_it_makes_reads_its_grain_and_key() {
    for stage in all_stages() {
        let head: Vec<&str> = stage.sql.lines().take(3).collect();
        assert!(stage.sql.contains("from final"), "{} ends by selecting from final", stage.file);
        assert!(head[0].starts_with(&format!("-- {}: ", stage.table())), "{}", stage.file);
        assert!(head[1].starts_with("-- reads: "), "{}", stage.file);
        assert!(head[2].starts_with("-- grain: "), "{}", stage.file);
        let key = stage.field("key").unwrap_or_else(|| panic!("{} has no -- key: line", stage.file));
        assert!(!key.is_empty(), "{}", stage.file);
        assert_eq!(stage.key().is_empty(), key == "(one row)", "{}", stage.file);
    }
}

/// The tables a stage's SQL names (its CTEs aside), by DataFusion's own parser.
fn referenced(stage: &Stage) -> Vec<String> {
    let state = super::super::create_context().state();
    let statement = state.sql_to_statement(stage.sql, &Default::default()).unwrap();
    let mut tables: Vec<String> =
        state.resolve_table_references(&statement).unwrap().iter().map(|t| t.table().to_string()).collect();
    tables.sort();
    tables.dedup();
    tables
}

#[test]
fn every_stage_reads_what_its_header_says_and_what_is_made_before_it() {
    // What the readers, the resolver and the content analysis register before any stage
    // runs.
    let mut made: Vec<String> = "fh_ratings fh_country_fallbacks dpi dpi_placeholders party_units \
        party_abbreviations pf_core pf_external pf_dpi_import countries parlgov_cabinet_parties \
        dpi_link_corrections party_successions dpi_alliances dpi_resolver_links dpi_label_readings \
        crosswalk_settings contact_decisions contact_rows run_settings news_items news_topic_mentions topics \
        news_contacts"
        .split_whitespace()
        .map(str::to_string)
        .collect();
    for stage in all_stages() {
        let mut reads = stage.reads();
        reads.sort();
        assert_eq!(reads, referenced(stage), "sql/{}: its reads: line and its SQL", stage.file);
        for table in &reads {
            assert!(made.contains(table), "sql/{} reads {table}, which nothing made before it", stage.file);
        }
        made.push(stage.table().to_string());
    }
}

/// A cross join with the run's settings (one row) names the settings first: without
/// statistics (a `--cluster` run reads Parquet without them) the planner keeps a cross
/// join's sides as written and holds the first in memory, and with the settings second each
/// row of the other side came out in a batch of its own (sql/21 took 21 s on the cluster at
/// 10^6 contacts, and did not finish with one task slot).
#[test]
fn the_one_row_settings_come_first_in_a_cross_join() {
    for stage in all_stages() {
        for line in stage.sql.lines().map(|l| l.trim().to_lowercase()) {
            let Some(joined) = line.strip_prefix("cross join ") else { continue };
            let table = joined.split_whitespace().next().unwrap_or_default();
            assert!(!table.ends_with("settings"), "sql/{}: `{line}`: name {table} first", stage.file);
        }
    }
}

#[test]
fn periods_are_read_as_the_flag_documents_them() {
    assert_eq!(parse_period("2002-2017"), Ok(Period(Some((2002, 2017)))));
    assert_eq!(parse_period(" 2010 "), Ok(Period(Some((2010, 2010)))));
    assert_eq!(parse_period("ALL"), Ok(Period(None)));
    assert_eq!(parse_period("2017-2002").unwrap_err(), "the period 2017-2002 ends before it begins");
    assert!(parse_period("2002-").unwrap_err().contains("is not a year"));
    assert!(parse_period("02-17").is_err());
}

#[test]
fn a_repeated_key_is_refused_with_its_values() {
    let stage = Stage { file: "99_t.sql", sql: "-- t: x\n-- reads: u\n-- grain: one row per a and b\n-- key: a, b\n" };
    let batch =
        |b: Vec<Option<&str>>| BatchBuilder::new().int32("a", [Some(1), Some(1), None]).utf8("b", b).build().unwrap();
    check_key(&stage, &batch(vec![Some("x"), Some("y"), Some("x")])).unwrap();
    let e = check_key(&stage, &batch(vec![Some("x"), Some("x"), None])).unwrap_err().to_string();
    assert_eq!(e, "sql/99_t.sql: two rows have the key (a, b) = (1, x), but its grain is one row per a and b");
    let one = Stage { file: "98_t.sql", sql: "-- t: x\n-- grain: one row\n-- key: (one row)\n" };
    assert!(check_key(&one, &batch(vec![None, None, None])).is_err());
}

#[test]
fn the_final_order_is_taken_off_and_nothing_else() {
    let sql = "with final as (select 1 as a)\nselect * from final\norder by a\n";
    assert_eq!(without_final_order(sql), "with final as (select 1 as a)\nselect * from final");
    let kept = "select a from final\n";
    assert_eq!(without_final_order(kept), kept);
    let stage = stage_for("enriched_decisions").unwrap();
    assert!(stage.sql.contains("\norder by decision, party_seq"));
    assert!(!without_final_order(stage.sql).contains("\norder by"));
}

#[test]
fn interactions_are_placed_by_the_number_their_ids_spell() {
    // The placement stands in for the stage's final order, and the ids spell that number.
    let sql = stage_for("interactions").unwrap().sql;
    assert!(sql.trim_end().ends_with("from final\norder by number"), "interactions is ordered by its number");
    assert!(sql.contains("'i' || case when number < 1000000 then lpad(cast(number as varchar), 6, '0')"));
    let batch = |ids: &[Option<&str>]| {
        let rows = (0..ids.len() as i32).map(Some);
        BatchBuilder::new().utf8("interaction_id", ids.iter().copied()).int32("row", rows).build().unwrap()
    };
    let placed = by_interaction_number(batch(&[Some("i000002"), Some("i000003"), Some("i000001")])).unwrap();
    let rows = placed.column_by_name("row").unwrap().as_any().downcast_ref::<arrow::array::Int32Array>().unwrap();
    assert_eq!(rows.values().to_vec(), vec![2, 0, 1]);
    for bad in [
        vec![Some("i000001"), Some("i000001")],
        vec![Some("i000001"), Some("i000003")],
        vec![Some("i000001"), None],
        vec![Some("i000001"), Some("x2")],
    ] {
        let e = by_interaction_number(batch(&bad)).unwrap_err().to_string();
        assert!(e.starts_with("interactions: the interaction_id"), "{e}");
    }
}
