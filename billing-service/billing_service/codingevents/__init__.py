"""coding-service's encounter events turned into claims, once, whether they arrive as signed
webhooks or from the feed follower."""
