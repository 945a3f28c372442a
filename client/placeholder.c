typedef int pw_placeholder_client;
