"""Events waiting to be relayed into the web server's in-memory channel layer."""

from django.db import models


class RelayedEvent(models.Model):
    """An event published by a process that cannot reach the server's sockets.

    Only used without Redis: the in-memory channel layer lives inside the Daphne
    process, so the job worker (django-q2) or `manage.py tick` leave their events
    here, and the server's relay (`realtime.relay`) sends them on.
    """

    group = models.CharField(max_length=200)
    message = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "Sự kiện chờ chuyển / Relayed event"
        verbose_name_plural = "Sự kiện chờ chuyển / Relayed events"

    def __str__(self) -> str:
        return f"{self.group} #{self.pk}"
