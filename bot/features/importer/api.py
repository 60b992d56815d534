"""What other features use of the importer: a document that may be a staff spreadsheet."""

from bot.features.importer.handlers import document_in

__all__ = ["document_in"]
