"""Shared machinery: base model, i18n, permissions, rendering, uploads, CLI."""
