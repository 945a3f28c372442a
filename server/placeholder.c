/* placeholder until the foundation lands */
typedef int pw_placeholder_server;
