/*
 * auth.h - sessions and passwords (SPEC 3.1) and the AuthService handlers.
 *
 * Passwords: argon2id via crypto_pwhash_str with the configured limits.
 * Tokens: 32 random bytes sent to the client as 64 hex digits; the server
 * stores only their BLAKE2b-256 hash, with an expiry.
 */
#ifndef PW_SERVER_AUTH_H
#define PW_SERVER_AUTH_H

#include <sodium.h>

#include "server/rpc/call.h"
#include "server/config.h"

/* Resolve `token` (may be NULL/empty) into call->who.  An empty token
 * leaves who as nobody and returns PW_OK (the role check decides); a bad,
 * expired or revoked token, or a disabled user's, gives PW_UNAUTHENTICATED
 * unless the method is callable anonymously. */
int pw_auth_authenticate(pw_call *call, const char *token);

/* argon2id hash of `password` with the limits of `cfg`; -1 when the
 * password is unacceptable (message in err) or hashing failed. */
int pw_auth_hash_password(const pw_server_config *cfg, const char *password,
                          char out[crypto_pwhash_STRBYTES], char *err, size_t errlen);

/* Password policy shared by init, AddUser and SetPassword. */
int pw_auth_password_check(const char *password, char *err, size_t errlen);

/* Forget the back-off of every source whose last failed login was on
 * `user` (planwatch-admin user unlock); returns how many sources. */
int pw_auth_clear_backoff(const pw_server_config *cfg, const char *user);

pw_handler pw_svc_auth_login, pw_svc_auth_logout, pw_svc_auth_whoami, pw_svc_auth_ping;

#endif
