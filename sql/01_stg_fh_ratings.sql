-- stg_fh_ratings: Freedom House ratings and status by country and year under review.
-- reads: fh_ratings (the FIW workbook's country and territory sheets, keyed on year under review), fh_country_fallbacks
-- grain: one row per iso3 and year
-- key: iso3, year
-- A country-year the workbook does not rate takes the ratings of the state it rates then
-- (reference/fh_country_fallbacks.csv: Serbia in 2003-2005 as Serbia and Montenegro, Palestine as
-- the Palestinian Authority-administered territories, then the West Bank); rated_as names that
-- state, empty where the country's own row rates it.
with own as (
    select iso3, country, territory, year, year_label, edition, pr, cl, status, note
    from fh_ratings
),

fallbacks as (
    select iso3, year_first, coalesce(year_last, 9999) as year_last, rated_as from fh_country_fallbacks
),

-- The rated state's row for each year a fallback covers.
borrowed as (
    select
        fallbacks.iso3,
        own.year,
        own.year_label,
        own.edition,
        own.pr,
        own.cl,
        own.status,
        own.note,
        fallbacks.rated_as
    from fallbacks
    join own
        on own.iso3 = fallbacks.rated_as
        and own.year between fallbacks.year_first and fallbacks.year_last
        and own.status is not null
),

ratings as (
    select
        coalesce(own.iso3, borrowed.iso3) as iso3,
        own.country,
        own.territory,
        coalesce(own.year, borrowed.year) as year,
        case when own.status is null and borrowed.iso3 is not null then borrowed.year_label else own.year_label end
            as year_label,
        case when own.status is null and borrowed.iso3 is not null then borrowed.edition else own.edition end
            as edition,
        case when own.status is null and borrowed.iso3 is not null then borrowed.pr else own.pr end as pr,
        case when own.status is null and borrowed.iso3 is not null then borrowed.cl else own.cl end as cl,
        coalesce(own.status, borrowed.status) as status,
        case when own.status is null and borrowed.iso3 is not null then borrowed.note else own.note end as note,
        case when own.status is null and borrowed.iso3 is not null then borrowed.rated_as end as rated_as
    from own
    full join borrowed on own.iso3 = borrowed.iso3 and own.year = borrowed.year
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
        note,
        rated_as
    from ratings
)

select * from final
order by iso3, year
