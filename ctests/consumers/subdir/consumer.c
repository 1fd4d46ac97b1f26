/*
 * The program of a project that builds s2n through add_subdirectory():
 * initialize, make a config and a client connection, clean up.
 */
#include <stdio.h>

#include <s2n.h>

int main(void)
{
    if (s2n_init() != S2N_SUCCESS) {
        printf("FAIL: s2n_init: %s\n", s2n_strerror_name(s2n_errno));
        return 1;
    }
    struct s2n_config *config = s2n_config_new();
    if (config == NULL) {
        printf("FAIL: s2n_config_new: %s\n", s2n_strerror_name(s2n_errno));
        return 1;
    }
    struct s2n_connection *conn = s2n_connection_new(S2N_CLIENT);
    if (conn == NULL) {
        printf("FAIL: s2n_connection_new: %s\n", s2n_strerror_name(s2n_errno));
        return 1;
    }
    if (s2n_connection_set_config(conn, config) != S2N_SUCCESS
            || s2n_set_server_name(conn, "localhost") != S2N_SUCCESS) {
        printf("FAIL: setting up the connection: %s\n", s2n_strerror_name(s2n_errno));
        return 1;
    }
    if (s2n_connection_free(conn) != S2N_SUCCESS || s2n_config_free(config) != S2N_SUCCESS) {
        printf("FAIL: freeing: %s\n", s2n_strerror_name(s2n_errno));
        return 1;
    }
    if (s2n_cleanup_final() != S2N_SUCCESS) {
        printf("FAIL: s2n_cleanup_final: %s\n", s2n_strerror_name(s2n_errno));
        return 1;
    }
    printf("consumer: ok\n");
    return 0;
}
