//! Writing reports to the file system: [`Report::write_csv`](crate::report::Report::write_csv)
//! and, for people who open them, [`Report::write_files`](crate::report::Report::write_files).

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

    /// Writes the report as files a person opens, into a folder (created if needed):
    /// every table of [`Report::to_csv`] as its own CSV file for Excel (UTF-8 with a
    /// byte order mark, so that Vietnamese names show as written) and `report.xlsx`
    /// with one sheet per table ([`Report::to_xlsx`], sheet names in `lang`).
    ///
    /// # Errors
    ///
    /// [`ReportError::Io`] if the folder or a file cannot be written,
    /// [`ReportError::Csv`] or [`ReportError::Workbook`] if a table cannot be built.
    #[cfg(feature = "xlsx")]
    pub fn write_files(
        &self,
        dir: impl AsRef<Path>,
        lang: crate::model::Lang,
    ) -> Result<Vec<String>, ReportError> {
        let dir = dir.as_ref();
        let io = |path: &Path, source| ReportError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let mut written = Vec::new();
        for t in self.to_csv()? {
            let path = dir.join(t.name);
            std::fs::write(&path, crate::model::with_bom(&t.content)).map_err(|e| io(&path, e))?;
            written.push(path.display().to_string());
        }
        let path = dir.join("report.xlsx");
        std::fs::write(&path, self.to_xlsx(lang)?).map_err(|e| io(&path, e))?;
        written.push(path.display().to_string());
        Ok(written)
    }
}
