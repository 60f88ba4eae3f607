-- accounting: what became of every input row; the outcomes add up to input_rows.
-- reads: contact_decisions, run_settings
-- grain: one row per outcome, then the total of input rows (a contact naming two parties is
-- one input row)
-- key: outcome
-- contact_decisions has a row per decision and party; its first party's row counts the
-- decision's input rows once. Rows outside the run's --period count as out_of_period, whatever
-- their resolution (enriched_contacts keeps it).
with settings as (
    select period_from, period_to from run_settings
),

decisions as (
    select
        case
            when coalesce(contact_decisions.year between settings.period_from and settings.period_to, true)
                then contact_decisions.outcome
            else 'out_of_period'
        end as accounted,
        contact_decisions.contacts
    from settings
    cross join contact_decisions
    where contact_decisions.party_seq = 1
),

outcomes as (
    select accounted as outcome, sum(contacts) as rows
    from decisions
    group by accounted
),

described as (
    select
        outcome,
        rows,
        case outcome
            when 'matched' then 'party (or parties) resolved to Party Facts ids'
            when 'non_party' then 'partner_kind is non_party: counted, not resolved'
            when 'not_a_party' then 'a reviewed decision in reference/party_overrides.csv: not a party'
            when 'review_party' then 'party not placed with certainty: see review_queue.csv'
            when 'review_country' then 'country not in reference/countries.csv: see review_queue.csv'
            else 'outside the run''s --period: in enriched_contacts (in_period false), in no table'
        end as meaning,
        case outcome
            when 'matched' then 1 when 'non_party' then 2 when 'not_a_party' then 3
            when 'review_party' then 4 when 'review_country' then 5 else 6
        end as position
    from outcomes
),

all_rows as (
    select outcome, rows, meaning, position from described
    union all
    select 'input_rows', coalesce(sum(contacts), 0), 'rows read from the contacts file', 99
    from decisions
),

final as (
    select outcome, rows, meaning, position from all_rows
)

select outcome, rows, meaning from final
order by position
