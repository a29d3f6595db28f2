/**
 * Where embedded mode keeps its database and images unless DATA_DIR says otherwise. In a
 * module of its own, with no imports, so the start-up code that opens the database before
 * anything else loads can read it without loading the configuration schema.
 */
export const DEFAULT_DATA_DIR = '.data';
