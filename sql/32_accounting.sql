-- accounting: what became of every input row; the outcomes add up to input_rows.
-- reads: contacts_resolved
-- grain: one row per outcome, then the total of input rows (a contact naming two parties is
-- one input row)
with outcomes as (
    select outcome, count(distinct contact_id) as rows
    from contacts_resolved
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
    select 'input_rows', count(distinct contact_id), 'rows read from the contacts file', 99
    from contacts_resolved
),

final as (
    select outcome, rows, meaning, position from all_rows
)

select outcome, rows, meaning from final
order by position
