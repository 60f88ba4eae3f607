-- topics_by_year: news items mentioning each topic, by year (figures 6 to 8).
-- reads: int_item_topics
-- grain: one row per year and topic: every topic in every year with an item analysed (items
-- without a date are left out)
-- key: year, topic
-- items: items mentioning the topic; mentions: all its mentions in them; share_of_items: items
-- mentioning it / items analysed that year.
with dated as (
    select year, topic, position, mentions from int_item_topics
    where year is not null
),

final as (
    select
        year,
        topic,
        position,
        count(*) filter (where mentions > 0) as items,
        sum(mentions) as mentions,
        round(cast(count(*) filter (where mentions > 0) as double) / count(*), 4) as share_of_items
    from dated
    group by year, topic, position
)

select year, topic, items, mentions, share_of_items from final
order by year, position
