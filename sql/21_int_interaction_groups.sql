-- int_interaction_groups: the contact rows each interaction merges, before it is described.
-- reads: contact_rows, enriched_decisions, run_settings
-- grain: one row per interaction: a party's visit (a joint meeting gives one per party)
-- key: party_key, visit_id, venue_key, visit
-- A party's rows (without a party: the same partner text in the same country) of the run's
-- period merge into one interaction, a visit, as the paper counts them:
--   1. rows that share a visit_id are one visit; a row without one, on a day when the party has
--      rows with one, joins that visit (the first visit_id of the day, by text);
--   2. other rows that share a news_id are one, dated by the news item's first row;
--   3. the rest, and those, merge when they have the same venue and fall within
--      run_settings.interaction_window_days of the visit's first row (measured from that first
--      row, so rows a few days apart never chain without end);
--   4. no visit lasts run_settings.max_visit_days or more: a row that many days after its
--      visit's first row opens the next visit, whatever ties it to the others.
-- visit_number (partylink's window function) numbers visits in day order, anew for each party
-- and visit (or venue): its keys after the day and span start the numbering anew, so that the
-- window runs over a few ordered streams rather than a partition per party (DataFusion keeps a
-- state and a batch for each partition: at 10^6 diverse contacts, 370,000 partitions took 1.1 s
-- of the threads' time, 8 streams 0.5 s). The streams, party_key % 8, only spread the parties
-- over the threads (one stream took 0.3 s, on one thread, and more memory at 10^7 contacts);
-- party_key is cast as bigint first: a row number is unsigned, and an unsigned number modulo a
-- literal is computed as a decimal.
-- The rows are enriched_contacts': contact_rows joined to enriched_decisions on decision;
-- party_key numbers who a row is with.
with settings as (
    select
        cast(least(interaction_window_days, max_visit_days - 1) as int) as window_days,
        cast(max_visit_days - 1 as int) as longest_days
    from run_settings
),

contacts as (
    select
        contact_rows.contact_id,
        decisions.party_key,
        contact_rows.date,
        cast(contact_rows.date as int) as day,
        contact_rows.visit_id,
        contact_rows.news_id,
        contact_rows.venue,
        -- The venues a visit's rows give, as flags: the sorts below carry two bits a row, not
        -- the venue's text.
        contact_rows.venue = 'abroad' as abroad,
        contact_rows.venue = 'china' as china,
        -- The row's place in time, packed into one number so that a plain min finds the
        -- first row of an interaction: day, then input row, then party.
        cast(contact_rows.date as int) * cast(68719476736 as bigint) + contact_rows.source_row * 256
            + decisions.party_seq as row_order
    from contact_rows
    join enriched_decisions as decisions on contact_rows.decision = decisions.decision
    where decisions.in_period
),

visit_days as (
    select party_key, day, min(visit_id) as day_visit
    from contacts
    where visit_id is not null
    group by party_key, day
),

-- Rule 1: a row with a visit_id, and a row without one on a day when its party has a visit,
-- which joins that visit. The rows of each rule are picked before they are joined to their
-- decisions where that can be (a contact's own visit_id and news_id): DataFusion inlines a
-- common table expression at each use, so each rule below joins its own rows.
attached as (
    select contact_id, party_key, date, day, visit_id, news_id, abroad, china, row_order
    from contacts
    where visit_id is not null
    union all
    select
        contacts.contact_id,
        contacts.party_key,
        contacts.date,
        contacts.day,
        visit_days.day_visit as visit_id,
        contacts.news_id,
        contacts.abroad,
        contacts.china,
        contacts.row_order
    -- (visit_days first: the hash join builds its table from the few days with a visit, not
    -- from every row, and reads no row when no contact has a visit_id)
    from visit_days
    join contacts
        on contacts.party_key = visit_days.party_key
        and contacts.day = visit_days.day
    where contacts.visit_id is null
),

-- The rows without a visit: no visit_id, on a day when their party has none.
unattached as (
    select contacts.*
    from visit_days
    right anti join contacts
        on contacts.party_key = visit_days.party_key
        and contacts.day = visit_days.day
    where contacts.visit_id is null
),

-- Rules 1 and 4: a visit_id's rows, cut where the visit would last too long.
visit_rows as (
    select
        attached.*,
        cast(null as varchar) as venue_key,
        visit_number(attached.day, settings.longest_days, attached.party_key, attached.visit_id) over (
            partition by cast(attached.party_key as bigint) % 8
            order by attached.party_key, attached.visit_id, attached.day
        ) as visit
    from settings
    cross join attached
),

-- Rule 2: the rows of one news item count as of its first row's day and venue.
loose as (
    select
        *,
        min(day) over (partition by party_key, news_id) as cluster_day,
        first_value(coalesce(venue, '')) over (partition by party_key, news_id order by row_order) as venue_key
    from unattached
    where news_id is not null
    union all
    select *, day as cluster_day, coalesce(venue, '') as venue_key
    from unattached
    where news_id is null
),

-- Rules 3 and 4: the other rows of a party and venue, in visits measured from their first row.
loose_rows as (
    select
        loose.contact_id,
        loose.party_key,
        loose.date,
        loose.day,
        loose.visit_id,
        loose.news_id,
        loose.abroad,
        loose.china,
        loose.row_order,
        loose.venue_key,
        visit_number(loose.cluster_day, settings.window_days, loose.party_key, loose.venue_key) over (
            partition by cast(loose.party_key as bigint) % 8
            order by loose.party_key, loose.venue_key, loose.cluster_day
        ) as visit
    from settings
    cross join loose
),

grouped as (
    select * from visit_rows
    union all
    select * from loose_rows
),

-- Ids are joined by the unit separator (which the contacts reader refuses in an id) until they
-- are sorted.
final as (
    select
        party_key,
        visit_id,
        venue_key,
        visit,
        min(row_order) as first_row,
        min(date) as first_date,
        max(date) as last_date,
        count(*) as contact_rows,
        -- Every venue the visit's rows give, once each, in alphabetical order.
        concat_ws(
            ';',
            case when bool_or(abroad) then 'abroad' end,
            case when bool_or(china) then 'china' end
        ) as venues,
        -- Sorted by id (sorted_ids is partylink's: split on the separator, sort, join by ';'); an
        -- ordered aggregate (string_agg ... order by) costs ten times as much.
        sorted_ids(string_agg(contact_id, chr(31))) as contact_ids
    from grouped
    group by party_key, visit_id, venue_key, visit
)

select * from final
order by first_date, party_key, visit_id, venue_key, visit
