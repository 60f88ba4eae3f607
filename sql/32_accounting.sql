-- accounting: what became of every input row; the outcomes add up to input_rows.
-- reads: contact_decisions
-- grain: one row per outcome, then the total of input rows (a contact naming two parties is
-- one input row)
-- key: outcome
-- contact_decisions has a row per decision and party; its first party's row counts the
-- decision's input rows once.
with decisions as (
    select outcome, contacts from contact_decisions
    where party_seq = 1
),

outcomes as (
    select outcome, sum(contacts) as rows
    from decisions
    group by outcome
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
        end as meaning,
        case outcome
            when 'matched' then 1 when 'non_party' then 2 when 'not_a_party' then 3
            when 'review_party' then 4 else 5
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
