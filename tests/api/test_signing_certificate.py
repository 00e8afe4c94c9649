from __future__ import annotations

import base64

import jwt
import pytest
from botocore.exceptions import ClientError
from cryptography import x509

from cognito_emu.idp import keys


def test_certificate_matches_the_pool_signing_key(emulator, idp, pool_id):
    encoded = idp.get_signing_certificate(UserPoolId=pool_id)["Certificate"]
    certificate = x509.load_der_x509_certificate(base64.b64decode(encoded))
    pool = emulator.state.find_pool(pool_id)
    # The ID-token key, listed first in the JWKS.
    jwk = keys.jwks(pool)["keys"][0]
    assert jwk["kid"] == keys.kid(pool)
    jwk_public = jwt.PyJWK.from_dict(jwk).key
    assert certificate.public_key().public_numbers() == jwk_public.public_numbers()
    # Asking again gives the same certificate.
    assert idp.get_signing_certificate(UserPoolId=pool_id)["Certificate"] == encoded


def test_unknown_pool(idp):
    with pytest.raises(ClientError) as err:
        idp.get_signing_certificate(UserPoolId="us-east-1_Nope12345")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
