"""User pools: the domain of cognito-idp. No HTTP, no botocore, no protocol/ in here.

Sub-packages by Cognito's own concepts, each importing only those listed before it:
``pool`` (configuration, app clients), ``factors`` (passwords, MFA, devices, passkeys), ``users``
(accounts, attributes, directory, groups, federated users), then ``tokens.py`` / ``keys.py``, ``signin``
(flows and challenges) and ``self_service`` (sign-up, recovery, profile, messages). ``models.py`` holds
the entities all of them share.
"""
