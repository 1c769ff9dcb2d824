# The grievance_storage target, included from the top-level CMakeLists.txt: the SQLite
# implementations of the domain's CaseStore, DirectoryStore and AccountStore (storage/sqlite).
# The migrations are compiled into the library (generated .cpp), never read from the source
# tree at run time: the binary must work wherever it is installed.
set(STORAGE_DIR ${CMAKE_CURRENT_LIST_DIR}/sqlite)
file(GLOB STORAGE_SOURCES CONFIGURE_DEPENDS ${STORAGE_DIR}/*.cpp)
file(GLOB STORAGE_MIGRATIONS CONFIGURE_DEPENDS ${STORAGE_DIR}/migrations/*.sql)
set(STORAGE_EMBEDDED ${CMAKE_BINARY_DIR}/generated/storage/migrations_embedded.cpp)
add_custom_command(
  OUTPUT ${STORAGE_EMBEDDED}
  COMMAND ${CMAKE_COMMAND} -DSQL_DIR=${STORAGE_DIR}/migrations -DOUT=${STORAGE_EMBEDDED}
          -P ${STORAGE_DIR}/embed_migrations.cmake
  DEPENDS ${STORAGE_MIGRATIONS} ${STORAGE_DIR}/embed_migrations.cmake
  COMMENT "Embedding storage migrations"
  VERBATIM)
add_library(grievance_storage STATIC ${STORAGE_SOURCES} ${STORAGE_EMBEDDED})
target_link_libraries(grievance_storage PUBLIC grievance_domain
  PRIVATE grievance_crypto SQLite::SQLite3 Threads::Threads)
