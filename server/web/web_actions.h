/*
 * web_actions.h - the board's forms that change something (web_actions.c).
 */
#ifndef PW_SERVER_WEB_ACTIONS_H
#define PW_SERVER_WEB_ACTIONS_H

/* Register the action routes (pw_web_start calls it). */
void pw_web_actions_routes(void);

#endif
