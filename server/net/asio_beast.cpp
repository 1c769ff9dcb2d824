// Asio, Asio.SSL and Beast compiled once for the whole build (BOOST_*_SEPARATE_COMPILATION):
// one small Beast TLS file takes ~25 s on the 2-core machine, so no other file instantiates
// the implementation.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
