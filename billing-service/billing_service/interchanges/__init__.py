"""The 837P interchanges billing writes: for the payer outbox and for export."""
