"""The neutral bottom: domain errors, money, text checks, settings, numbering, actors and
permissions, audit, change notices. Imports models and the standard plumbing, never
services, views or Qt (DESIGN.md "Layers")."""
