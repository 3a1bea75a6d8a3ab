//! Writing reports to the file system: [`Report::write_csv`](crate::report::Report::write_csv).

use std::path::Path;

use crate::report::{Report, ReportError};

impl Report {
    /// Writes [`Report::to_csv`]'s tables into a folder (created if needed).
    ///
    /// # Errors
    ///
    /// [`ReportError::Io`] if the folder or a file cannot be written,
    /// [`ReportError::Csv`] if a table cannot be built.
    pub fn write_csv(&self, dir: impl AsRef<Path>) -> Result<Vec<String>, ReportError> {
        let dir = dir.as_ref();
        let io = |path: &Path, source| ReportError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let mut written = Vec::new();
        for t in self.to_csv()? {
            let path = dir.join(t.name);
            std::fs::write(&path, t.content).map_err(|e| io(&path, e))?;
            written.push(path.display().to_string());
        }
        Ok(written)
    }
}
