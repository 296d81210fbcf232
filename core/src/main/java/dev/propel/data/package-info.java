/**
 * Training data: {@link dev.propel.data.Dataset} (features as a tensor {@code [n, ...]} with class labels or
 * regression targets), the readers for CSV ({@link dev.propel.data.CsvReader}) and IDX files (MNIST and
 * Fashion-MNIST), the bundled sample and the named sources of {@link dev.propel.data.DataSources}, and the
 * {@link dev.propel.data.DataException} family that names the file, line and column of bad data.
 */
package dev.propel.data;
