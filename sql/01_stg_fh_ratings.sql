-- stg_fh_ratings: Freedom House ratings and status by country and year under review.
-- reads: fh_ratings (the FIW workbook's country and territory sheets, keyed on year under review)
-- grain: one row per iso3 and year
-- key: iso3, year
with ratings as (
    select iso3, country, territory, year, year_label, edition, pr, cl, status, note
    from fh_ratings
),

final as (
    select
        iso3,
        year,
        country as fh_country,
        territory,
        year_label,
        edition,
        pr,
        cl,
        status,
        case status
            when 'F' then 'free'
            when 'PF' then 'partly_free'
            when 'NF' then 'not_free'
        end as regime,
        note
    from ratings
)

select * from final
order by iso3, year
