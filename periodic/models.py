from django.db import models


class Run(models.Model):
    """When a periodic task (its module path) was last enqueued."""

    name = models.CharField(max_length=255, unique=True)
    enqueued_at = models.DateTimeField()

    def __str__(self):
        return self.name
