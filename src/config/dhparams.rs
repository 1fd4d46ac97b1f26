//! `s2n_config_add_dhparams` and `s2n_config_free_dhparams`: Diffie-Hellman
//! parameters, checked and kept as s2n does, though rustls has no DHE suites.
