-- topics_by_partner_regime: news items mentioning each topic, by the partners' regime type.
-- reads: int_item_topics, news_contacts
-- grain: one row per regime type and topic, over the analysed items with contacts (an item with
-- contacts in two regime types counts in both)
-- key: regime, topic
-- news_contacts: one row per news item and regime type of a contact it reports (the Freedom
-- House status of the contact's country in the contact's year).
with regimes as (
    select distinct news_id, regime from news_contacts
),

final as (
    select
        regimes.regime,
        int_item_topics.topic,
        int_item_topics.position,
        count(*) filter (where int_item_topics.mentions > 0) as items,
        sum(int_item_topics.mentions) as mentions,
        round(cast(count(*) filter (where int_item_topics.mentions > 0) as double) / count(*), 4) as share_of_items
    from int_item_topics
    join regimes on int_item_topics.news_id = regimes.news_id
    group by regimes.regime, int_item_topics.topic, int_item_topics.position
)

select regime, topic, items, mentions, share_of_items from final
order by
    case regime when 'free' then 1 when 'partly_free' then 2 when 'not_free' then 3 else 4 end,
    position
