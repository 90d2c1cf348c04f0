"""Platform connectors: list comments and perform moderation actions on nine platforms.

Import the interface from `moderation.connectors.base`, the connectors through
`moderation.connectors.registry.get_connector`. See docs/connectors.md.
"""
