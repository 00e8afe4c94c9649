"""Lambda triggers: a pool's LambdaConfig ARNs mapped to local targets and invoked like Lambda would be.

- ``registry``  which target answers which ARN (or function name), the invocation log, settings
- ``invokers``  the target kinds: Python callable, handler file, command (JSON over stdin/stdout), HTTP
- ``runner``    ``invoke(env, pool, trigger, event)``: the ARN from LambdaConfig, the state lock released
                around the call, failures mapped to Cognito's errors, every call logged
- ``events``    the event every trigger gets (version, region, userPoolId, userName, callerContext, ...)
- one module per trigger family building its request and applying its response: ``sign_up``
  (PreSignUp, PostConfirmation), ``authentication`` (Pre/PostAuthentication), ``migration``
  (UserMigration), ``custom_message`` (CustomMessage)

Event shapes follow the developer guide, "Customizing user pool workflows with Lambda triggers"
(https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html)
and each trigger's own page.
"""
