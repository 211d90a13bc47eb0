/*
 * migsafe's parser for the PostgreSQL that migrations run.
 *
 * It reads ONE statement at a time (SqlReader splits the text at the semicolons between
 * statements; a semicolon inside a string, a dollar-quoted body or a comment is part of that
 * token). `statement` reads fully what matters for deploy safety: which table, column, index or
 * constraint a statement changes and how (NOT VALID, CONCURRENTLY, a default, a WHERE). The
 * inside of everything else (function bodies, SELECTs, expressions) is skipped as balanced
 * token soup. When `statement` cannot read a statement, `looseStatement` still names its kind
 * and target where it can ("ALTER TABLE shop_order <something>"), and the rest is "unknown":
 * a review finding quotes it. No input makes parsing fail.
 */
parser grammar PostgreSqlParser;

options { tokenVocab = PostgreSqlLexer; }

statement
    : ( alterTableRename
      | alterTable
      | createIndex
      | dropIndex
      | alterIndex
      | reindex
      | createTable
      | dropTable
      | createTrigger
      | dropTrigger
      | createFunction
      | createExtension
      | alterTypeAddValue
      | update
      | delete
      | insert
      | truncate
      | lockTable
      | vacuum
      | cluster
      | setting
      | transaction
      | select
      | doBlock
      | createObject
      | dropObject
      | refresh
      | readOnly
      ) EOF
    ;

// ---- ALTER TABLE -----------------------------------------------------------------------------

alterTable
    : ALTER TABLE ifExists? ONLY? qname STAR? alterAction ( COMMA alterAction )*
    ;

alterAction
    : ADD COLUMN? ifNotExists? name dataType columnOption*                      # addColumn
    | ADD tableConstraint                                                       # addConstraint
    | DROP COLUMN? ifExists? name dropBehaviour?                                # dropColumn
    | ALTER COLUMN? name ( SET DATA )? TYPE dataType ( COLLATE qname )? ( USING expr )?  # alterColumnType
    | ALTER COLUMN? name SET NOT NULL                                           # setNotNull
    | ALTER COLUMN? name DROP NOT NULL                                          # dropNotNull
    | ALTER COLUMN? name SET DEFAULT expr                                       # setDefault
    | ALTER COLUMN? name DROP DEFAULT                                           # dropDefault
    | ALTER COLUMN? name otherWords                                             # alterColumnOther
    | VALIDATE CONSTRAINT name                                                  # validateConstraint
    | DROP CONSTRAINT ifExists? name dropBehaviour?                             # dropConstraint
    | otherWords                                                                # otherAction
    ;

alterTableRename
    : ALTER TABLE ifExists? ONLY? qname STAR? RENAME COLUMN? name TO name       # renameColumn
    | ALTER TABLE ifExists? ONLY? qname STAR? RENAME CONSTRAINT name TO name    # renameConstraint
    | ALTER TABLE ifExists? qname RENAME TO name                                # renameTable
    | ALTER TABLE ifExists? qname SET IDENT name                                # setSchema
    ;

columnOption
    : CONSTRAINT name
    | NOT NULL
    | NULL
    | DEFAULT expr
    | CHECK parens
    | UNIQUE ( IDENT NOT? IDENT )? indexParameters
    | PRIMARY KEY indexParameters
    | REFERENCES qname parens? referenceOption*
    | GENERATED ALWAYS AS parens ( STORED | VIRTUAL )?                              // generated column
    | GENERATED ( ALWAYS | BY DEFAULT ) AS IDENTITY parens?
    | COLLATE qname
    | NOT? DEFERRABLE
    | INITIALLY IDENT
    ;

tableConstraint
    : ( CONSTRAINT name )? constraintBody constraintTail*
    ;

constraintBody
    : CHECK parens                                                             # checkConstraint
    | UNIQUE nullsDistinct? parens? indexParameters ( USING INDEX name )?      # uniqueConstraint
    | PRIMARY KEY parens? indexParameters ( USING INDEX name )?                # primaryKeyConstraint
    | FOREIGN KEY parens REFERENCES qname parens? referenceOption*             # foreignKeyConstraint
    | EXCLUDE soup                                                             # excludeConstraint
    ;

constraintTail
    : NOT VALID
    | NOT? DEFERRABLE
    | INITIALLY IDENT
    | IDENT IDENT          // NO INHERIT
    ;

nullsDistinct : IDENT NOT? IDENT ;   // NULLS [NOT] DISTINCT

indexParameters
    : ( ( IDENT | WITH ) parens | USING INDEX IDENT qname )*       // INCLUDE (...), WITH (...), USING INDEX TABLESPACE x
    ;

referenceOption
    : ON ( DELETE | UPDATE ) referenceAction
    | IDENT IDENT                 // MATCH FULL / SIMPLE
    | IDENT FULL
    | NOT? DEFERRABLE
    | INITIALLY IDENT
    ;

referenceAction : CASCADE | RESTRICT | IDENT IDENT | SET NULL | SET DEFAULT ;   // NO ACTION

dropBehaviour : CASCADE | RESTRICT ;

// ---- indexes --------------------------------------------------------------------------------

createIndex
    : CREATE UNIQUE? INDEX CONCURRENTLY? ifNotExists? qname? ON ONLY? qname soup
    ;

dropIndex
    : DROP INDEX CONCURRENTLY? ifExists? qname ( COMMA qname )* dropBehaviour?
    ;

alterIndex
    : ALTER INDEX ifExists? qname anything
    ;

reindex
    : REINDEX parens? ( INDEX | TABLE | IDENT ) CONCURRENTLY? qname?
    ;

// ---- tables ---------------------------------------------------------------------------------

createTable
    : CREATE ( TEMP | UNLOGGED | LOCAL TEMP )? TABLE ifNotExists? qname LPAREN tableElement ( COMMA tableElement )* RPAREN anything
    | CREATE ( TEMP | UNLOGGED | LOCAL TEMP )? TABLE ifNotExists? qname anything
    ;

tableElement
    : tableConstraint
    | name dataType columnOption*
    | soup
    ;

dropTable
    : DROP TABLE ifExists? qname ( COMMA qname )* dropBehaviour?
    ;

truncate
    : TRUNCATE TABLE? ONLY? qname STAR? ( COMMA ONLY? qname STAR? )* anything
    ;

lockTable
    : LOCK TABLE? ONLY? qname STAR? ( COMMA ONLY? qname STAR? )* ( IN lockMode MODE )? NOWAIT?
    ;

lockMode
    : ( ACCESS | ROW | SHARE | EXCLUSIVE | UPDATE | IDENT )+
    ;

vacuum : VACUUM anything ;

cluster : CLUSTER anything ;

// ---- triggers, functions, types, extensions ---------------------------------------------------

createTrigger
    : CREATE ( OR REPLACE )? CONSTRAINT? TRIGGER name triggerTiming triggerEvent ( OR triggerEvent )* ON qname anything
    ;

triggerTiming : BEFORE | AFTER | INSTEAD OF ;

triggerEvent : INSERT | UPDATE ( OF name ( COMMA name )* )? | DELETE | TRUNCATE ;

dropTrigger
    : DROP TRIGGER ifExists? name ON qname dropBehaviour?
    ;

createFunction
    : CREATE ( OR REPLACE )? ( FUNCTION | PROCEDURE ) qname anything
    ;

createExtension
    : CREATE EXTENSION ifNotExists? name anything
    ;

alterTypeAddValue
    : ALTER TYPE qname ADD VALUE ifNotExists? STRING anything
    ;

// CREATE VIEW / SEQUENCE / TYPE / SCHEMA ...: a new object, and ALTER of objects other than tables.
// The kind and name are read from the tokens (CREATE [OR REPLACE] [TEMP] VIEW x, CREATE TEXT SEARCH
// CONFIGURATION x, ...): object kinds are plain words, so the grammar does not list them.
createObject
    : CREATE ( OR REPLACE )? ( TEMP | MATERIALIZED | TYPE | IDENT ) anything      # createOther
    | ALTER ( IDENT | MATERIALIZED | TYPE | FUNCTION | PROCEDURE | EXTENSION | TRIGGER ) anything  # alterOther
    | COMMENT ON anything                                                       # commentOn
    | GRANT anything                                                            # grant
    | REVOKE anything                                                           # revoke
    ;

dropObject
    : DROP ( MATERIALIZED | TYPE | FUNCTION | PROCEDURE | EXTENSION | TRIGGER | IDENT ) anything
    ;

refresh : REFRESH MATERIALIZED IDENT CONCURRENTLY? qname anything ;

// ---- data -----------------------------------------------------------------------------------

update
    : withClause? UPDATE ONLY? qname STAR? alias? SET updateSoup ( WHERE anything )?
    ;

delete
    : withClause? DELETE FROM ONLY? qname STAR? alias? ( USING deleteSoup )? ( WHERE anything )?
    ;

insert
    : withClause? INSERT INTO qname anything
    ;

alias : AS? name ;

withClause
    : WITH IDENT? cte ( COMMA cte )*         // WITH [RECURSIVE]
    ;

cte : name parens? AS ( NOT? MATERIALIZED )? parens ;

updateSoup : ( ~( WHERE | LPAREN | RPAREN | SEMI ) | parens )* ;

deleteSoup : ( ~( WHERE | LPAREN | RPAREN | SEMI ) | parens )* ;

// ---- statements that change no schema -------------------------------------------------------

setting
    : SET ( LOCAL | SESSION )? name ( TO | EQUALS ) anything                   # setValue
    | SET ( LOCAL | SESSION )? TIME ZONE anything                               # setTimeZone
    | SET CONSTRAINTS anything                                                  # setConstraints
    | SET TRANSACTION anything                                                  # setTransaction
    | RESET anything                                                            # resetValue
    | SHOW anything                                                             # showValue
    ;

transaction
    : ( BEGIN | START TRANSACTION ) anything                                    # begin
    | ( COMMIT | END ) anything                                                 # commit
    | ROLLBACK anything                                                         # rollback
    | ( SAVEPOINT | RELEASE ) anything                                          # savepoint
    ;

select
    : withClause? SELECT anything
    | VALUES anything
    | parens anything
    ;

readOnly
    : ( ANALYZE | EXPLAIN ) anything
    ;

doBlock : DO anything ;

// ---- when `statement` cannot read it: the kind and target, where they show -----------------

looseStatement
    : ALTER TABLE ifExists? ONLY? qname rest EOF                            # looseAlterTable
    | CREATE ( TEMP | UNLOGGED )? TABLE ifNotExists? qname rest EOF         # looseCreateTable
    | CREATE UNIQUE? INDEX rest EOF                                         # looseCreateIndex
    | withClause? UPDATE ONLY? qname rest EOF                               # looseUpdate
    | withClause? DELETE FROM ONLY? qname rest EOF                          # looseDelete
    | withClause? INSERT INTO qname rest EOF                                # looseInsert
    | rest EOF                                                              # looseOther
    ;

// Any tokens, balanced or not.
rest : .*? ;

// ---- pieces ---------------------------------------------------------------------------------

ifExists : IF EXISTS ;

ifNotExists : IF NOT EXISTS ;

qname : name ( DOT name )* ;

name
    : IDENT | QUOTED_IDENT | BACKTICK_IDENT | PLACEHOLDER | nonReserved
    ;

// Keywords PostgreSQL lets a name be (its "unreserved" and "column name" keywords that migsafe knows).
nonReserved
    : ACCESS | ADD | AFTER | ALWAYS | ATTACH | BEFORE | BEGIN | BY | CASCADE | CLUSTER | COLUMN | COMMENT
    | COMMIT | CONSTRAINTS | COPY | DATA | DELETE | DETACH | EACH | EXCLUDE | EXCLUSIVE | EXECUTE | EXPLAIN
    | EXTENSION | FUNCTION | GENERATED | IDENTITY | INSERT | INSTEAD | KEY | LOCAL | LOCK | MATERIALIZED
    | MERGE | MODE | NOWAIT | OF | PROCEDURE | REFRESH | REINDEX | RELEASE | RENAME | REPLACE | RESET
    | RESTRICT | REVOKE | ROLLBACK | ROW | SAVEPOINT | SESSION | SET | SHARE | SHOW | START | STORED
    | TEMP | TRANSACTION | TRIGGER | TRUNCATE | TYPE | UNLOGGED | UPDATE | VACUUM | VALID | VALIDATE
    | VALUE | VALUES | VIRTUAL | WORK | ZONE | TIME | WITHOUT | VARYING | PRECISION | MERGE
    ;

// A type: words (character varying, double precision, timestamp with time zone), an optional
// qualifier and modifiers, array brackets.
dataType
    : typeWord+ parens? ( ( WITH | WITHOUT ) TIME ZONE )? ( LBRACKET NUMBER? RBRACKET )*
    ;

typeWord : IDENT | QUOTED_IDENT | DOT | TIME | ZONE | VARYING | PRECISION | DATA | KEY | TYPE | VALUE ;

// An expression: balanced tokens up to the next column option, comma or end.
expr
    : ( exprToken | parens )+
    ;

exprToken
    : ~( COMMA | LPAREN | RPAREN | NOT | NULL | CONSTRAINT | CHECK | UNIQUE | PRIMARY | REFERENCES
       | DEFAULT | GENERATED | COLLATE | USING | SEMI | DEFERRABLE | INITIALLY )
    | NULL
    ;

otherWords : ( ~( COMMA | LPAREN | RPAREN ) | parens )+ ;

soup : ( ~( COMMA | LPAREN | RPAREN ) | parens )* ;

parens : LPAREN ( ~( LPAREN | RPAREN ) | parens )* RPAREN ;

anything : ( ~( LPAREN | RPAREN ) | parens )* ;
