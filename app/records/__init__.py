"""Records: the document model, dates and the vocabulary of event types."""
