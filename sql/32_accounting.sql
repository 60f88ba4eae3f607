-- accounting: what became of every input row; the outcomes add up to input_rows.
-- reads: contacts_resolved
-- grain: one row per outcome, then the total of input rows
with outcomes as (
    select outcome, count(*) as rows
    from contacts_resolved
    group by outcome
),

described as (
    select
        outcome,
        rows,
        case outcome
            when 'matched' then 'party resolved to a Party Facts id'
            when 'non_party' then 'partner_kind is non_party: counted, not resolved'
            when 'review_party' then 'party not placed with certainty: see review_queue.csv'
            when 'review_country' then 'country not in reference/countries.csv: see review_queue.csv'
        end as meaning,
        case outcome
            when 'matched' then 1 when 'non_party' then 2 when 'review_party' then 3 else 4
        end as position
    from outcomes
),

all_rows as (
    select outcome, rows, meaning, position from described
    union all
    select 'input_rows', count(*), 'rows read from the contacts file', 99 from contacts_resolved
),

final as (
    select outcome, rows, meaning, position from all_rows
)

select outcome, rows, meaning from final
order by position
