-- review_queue: contacts whose country or party could not be placed, with the best candidates.
-- reads: contacts_resolved
-- grain: one row per contact sent to review
with to_review as (
    select * from contacts_resolved
    where outcome in ('review_party', 'review_country')
),

final as (
    select
        contact_id,
        source_row,
        date,
        country,
        iso3,
        partner,
        outcome,
        review_reason,
        candidate_1_id,
        candidate_1_name,
        candidate_1_score,
        candidate_2_id,
        candidate_2_name,
        candidate_2_score,
        candidate_3_id,
        candidate_3_name,
        candidate_3_score
    from to_review
)

select * from final
order by contact_id
