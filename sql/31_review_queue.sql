-- review_queue: contacts whose country or party could not be placed, with the best candidates.
-- reads: contact_rows, contact_decisions
-- grain: one row per contact sent to review
-- key: contact_id
with to_review as (
    select * from contact_decisions
    where outcome in ('review_party', 'review_country')
),

final as (
    select
        contact_rows.contact_id,
        contact_rows.source_row,
        contact_rows.date,
        contact_rows.country,
        to_review.iso3,
        contact_rows.partner,
        to_review.outcome,
        to_review.review_reason,
        to_review.candidate_1_id,
        to_review.candidate_1_name,
        to_review.candidate_1_score,
        to_review.candidate_2_id,
        to_review.candidate_2_name,
        to_review.candidate_2_score,
        to_review.candidate_3_id,
        to_review.candidate_3_name,
        to_review.candidate_3_score,
        to_review.candidates_told_apart
    from contact_rows
    join to_review on contact_rows.decision = to_review.decision
)

select * from final
order by contact_id
