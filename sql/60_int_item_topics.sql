-- int_item_topics: each news item analysed, with its mentions of every topic.
-- reads: news_items, news_topic_mentions, topics
-- grain: one row per analysed news item and topic of reference/keywords.csv (mentions 0 where
-- the item does not mention it); congratulations, condolences and unreadable items are left out
-- key: news_id, topic
with analysed as (
    select news_id, year from news_items
    where analysed
),

final as (
    select
        analysed.news_id,
        analysed.year,
        topics.topic,
        topics.position,
        coalesce(news_topic_mentions.mentions, 0) as mentions
    from analysed
    cross join topics
    left join news_topic_mentions
        on analysed.news_id = news_topic_mentions.news_id and topics.topic = news_topic_mentions.topic
)

select * from final
order by news_id, position
