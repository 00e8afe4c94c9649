// A Node.js PreSignUp handler: auto-confirms users whose email ends with @example.com, refuses others.
exports.handler = async (event) => {
  const email = event.request.userAttributes.email || "";
  if (!email.endsWith("@example.com")) {
    throw new Error(`${email} may not sign up`);
  }
  event.response.autoConfirmUser = true;
  event.response.autoVerifyEmail = true;
  return event;
};
