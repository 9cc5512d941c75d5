package dev.sqlitebackup.domain.model;

/** Architecture fixture: a domain class that uses a logging library. Never production code. */
public class ViolatingDomainClass {
    public org.slf4j.Logger logger() {
        return org.slf4j.LoggerFactory.getLogger(ViolatingDomainClass.class);
    }
}
