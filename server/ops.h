/*
 * ops.h - planwatchd's operator verbs: backup, restore, check (ops.c).
 */
#ifndef PW_SERVER_OPS_H
#define PW_SERVER_OPS_H

/* Is `s` one of the verbs pw_ops_main runs? */
int pw_ops_is_verb(const char *s);
/* Run `planwatchd VERB ARGS...` (argv[1] is the verb); the exit code. */
int pw_ops_main(int argc, char **argv);

#endif
