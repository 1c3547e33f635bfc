//! Exit codes: 0 success, 1 error, 2 usage error (clap's own).

use std::process::ExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Success,
    /// Something failed (an unknown place, a bad file); the rest was still done.
    Error,
    /// The command line was wrong (clap exits with this itself).
    Usage,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Error => 1,
            Exit::Usage => 2,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(Exit::Success.code(), 0);
        assert_eq!(Exit::Error.code(), 1);
        assert_eq!(Exit::Usage.code(), 2);
    }

    #[test]
    fn clap_usage_errors_use_the_usage_code() {
        let e = clap::Error::new(clap::error::ErrorKind::InvalidValue);
        assert_eq!(e.exit_code(), i32::from(Exit::Usage.code()));
    }
}
