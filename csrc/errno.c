/*
 * s2n_errno must be an exported thread-local int (C programs read the
 * variable itself), which stable Rust cannot define. It is the only C in s2nrs.
 */

__thread int s2n_errno;

int *s2n_errno_location(void)
{
    return &s2n_errno;
}
