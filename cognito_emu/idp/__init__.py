"""User pools: the domain of cognito-idp. No HTTP, no botocore, no protocol/ in here."""
