"""Recompute every denormalised counter from the rows themselves.

The services keep counters exact as they go; this is for bulk loads (the demo seed) and
for repairing data written around the services.
"""

from django.db import connection

RECOMPUTE_SQL = [
    """UPDATE video_channels_channel c SET
         subscriber_count = (SELECT count(*) FROM video_channels_channelsubscription s
                             WHERE s.channel_id = c.id),
         video_count = (SELECT count(*) FROM videos_video v
                        WHERE v.channel_id = c.id AND v.visibility = 'PUBLIC')""",
    """UPDATE videos_video v SET
         like_count = (SELECT count(*) FROM videos_videorating r
                       WHERE r.video_id = v.id AND r.value = 'LIKE'),
         dislike_count = (SELECT count(*) FROM videos_videorating r
                          WHERE r.video_id = v.id AND r.value = 'DISLIKE'),
         comment_count = (SELECT count(*) FROM comments_comment m WHERE m.video_id = v.id)""",
    """UPDATE comments_comment m SET
         like_count = (SELECT count(*) FROM comments_commentrating r
                       WHERE r.comment_id = m.id AND r.value = 'LIKE'),
         dislike_count = (SELECT count(*) FROM comments_commentrating r
                          WHERE r.comment_id = m.id AND r.value = 'DISLIKE'),
         reply_count = (SELECT count(*) FROM comments_comment p WHERE p.parent_id = m.id)""",
]


def counters_recompute() -> None:
    with connection.cursor() as cursor:
        for statement in RECOMPUTE_SQL:
            cursor.execute(statement)
