"""Editing: the open document, its undoable commands and edits, its file session and recovery."""
