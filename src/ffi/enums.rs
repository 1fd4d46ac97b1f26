//! C enums arrive as plain integers. Each enum parameter is a transparent
//! `c_int` newtype (cbindgen renames it to the C enum's name), checked with
//! `get()` before use, so an out-of-range value is a usage error rather than
//! undefined behaviour.

/// Declares the argument newtype for a `#[repr(C)]` enum listed with its members.
macro_rules! c_enum_arg {
    ($arg:ident => $enum:ident { $($member:ident),* $(,)? }) => {
        #[doc = concat!("`", stringify!($enum), "` as C passes it: any `int`, checked by `get()`.")]
        #[repr(transparent)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $arg(pub std::ffi::c_int);

        impl $arg {
            /// The member this integer names; any other value is `S2N_ERR_INVALID_ARGUMENT`.
            #[track_caller]
            #[allow(dead_code)]
            pub fn get(self) -> Result<$enum, $crate::error::Error> {
                $(if self.0 == $enum::$member as std::ffi::c_int {
                    return Ok($enum::$member);
                })*
                Err($crate::error::Error::new($crate::error::S2N_ERR_INVALID_ARGUMENT))
            }
        }

        impl From<$enum> for $arg {
            fn from(value: $enum) -> Self {
                $arg(value as std::ffi::c_int)
            }
        }

        impl $crate::ffi::Failure for $arg {
            fn failure() -> Self {
                $arg(-1)
            }
        }
    };
}
pub(crate) use c_enum_arg;
