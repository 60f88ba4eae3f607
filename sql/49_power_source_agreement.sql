-- power_source_agreement: party contacts by their power status in each reading, DPI's for the year and the one on the date.
-- reads: enriched_decisions
-- grain: one row per pair of statuses (DPI's, on the date) that some party contact has
-- key: power_status_dpi, power_status_on_date
-- A contact naming two parties counts once for each, as in enriched_contacts. The diagonal is
-- where the choice of --power-source does not matter.
with party_contacts as (
    select dpi_power_status, power_status_on_date, contacts
    from enriched_decisions
    where outcome = 'matched'
),

counts as (
    select
        dpi_power_status as power_status_dpi,
        power_status_on_date,
        sum(contacts) as contacts
    from party_contacts
    group by dpi_power_status, power_status_on_date
),

final as (
    select
        power_status_dpi,
        power_status_on_date,
        contacts,
        round(cast(contacts as double) / sum(contacts) over (), 4) as share,
        power_status_dpi = power_status_on_date as agree
    from counts
)

select * from final
order by
    case power_status_dpi when 'government' then 1 when 'opposition' then 2 else 3 end,
    case power_status_on_date when 'government' then 1 when 'opposition' then 2 else 3 end
