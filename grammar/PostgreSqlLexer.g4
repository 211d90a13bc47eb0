/*
 * migsafe's lexer for the PostgreSQL that migrations run (RunSQL, schema_editor.execute, ...).
 *
 * Keywords are matched case-insensitively and only the words the parser needs are keywords;
 * every other word is an IDENT. The parser's `name` rule accepts the non-reserved keywords as
 * names too, as PostgreSQL does (a column called "type", "data" or "value").
 *
 * Dollar-quoted strings ($$...$$, $fn$...$fn$) are ONE token: DOLLAR_STRING matches the opening
 * tag and PostgreSqlLexerBase.scanDollarBody() consumes up to the same tag. Nothing here can fail:
 * a character no rule knows is an OTHER token, and an unterminated quote ends at the end of the
 * text, so any input lexes (the parser decides what it can read).
 */
lexer grammar PostgreSqlLexer;

options { superClass = PostgreSqlLexerBase; caseInsensitive = true; }

ACCESS       : 'access';
ADD          : 'add';
AFTER        : 'after';
ALTER        : 'alter';
ALWAYS       : 'always';
ANALYZE      : 'analyze' | 'analyse';
AS           : 'as';
ATTACH       : 'attach';
BEFORE       : 'before';
BEGIN        : 'begin';
BY           : 'by';
CASCADE      : 'cascade';
CHECK        : 'check';
CLUSTER      : 'cluster';
COLLATE      : 'collate';
COLUMN       : 'column';
COMMENT      : 'comment';
COMMIT       : 'commit';
CONCURRENTLY : 'concurrently';
CONSTRAINT   : 'constraint';
CONSTRAINTS  : 'constraints';
COPY         : 'copy';
CREATE       : 'create';
DATA         : 'data';
DEFAULT      : 'default';
DEFERRABLE   : 'deferrable';
DELETE       : 'delete';
DETACH       : 'detach';
DO           : 'do';
DROP         : 'drop';
EACH         : 'each';
END          : 'end';
EXCLUDE      : 'exclude';
EXCLUSIVE    : 'exclusive';
EXECUTE      : 'execute';
EXISTS       : 'exists';
EXPLAIN      : 'explain';
EXTENSION    : 'extension';
FOR          : 'for';
FOREIGN      : 'foreign';
FROM         : 'from';
FULL         : 'full';
FUNCTION     : 'function';
GENERATED    : 'generated';
GRANT        : 'grant';
IDENTITY     : 'identity';
IF           : 'if';
IN           : 'in';
INDEX        : 'index';
INITIALLY    : 'initially';
INSERT       : 'insert';
INSTEAD      : 'instead';
INTO         : 'into';
KEY          : 'key';
LOCAL        : 'local';
LOCK         : 'lock';
MATERIALIZED : 'materialized';
MERGE        : 'merge';
MODE         : 'mode';
NOT          : 'not';
NOWAIT       : 'nowait';
NULL         : 'null';
OF           : 'of';
ON           : 'on';
ONLY         : 'only';
OR           : 'or';
PRIMARY      : 'primary';
PROCEDURE    : 'procedure';
REFERENCES   : 'references';
REFRESH      : 'refresh';
REINDEX      : 'reindex';
RELEASE      : 'release';
RENAME       : 'rename';
REPLACE      : 'replace';
RESET        : 'reset';
RESTRICT     : 'restrict';
RETURNING    : 'returning';
REVOKE       : 'revoke';
ROLLBACK     : 'rollback';
ROW          : 'row';
SAVEPOINT    : 'savepoint';
SELECT       : 'select';
SESSION      : 'session';
SET          : 'set';
SHARE        : 'share';
SHOW         : 'show';
START        : 'start';
STORED       : 'stored';
TABLE        : 'table';
TEMP         : 'temp' | 'temporary';
TO           : 'to';
TRANSACTION  : 'transaction';
TRIGGER      : 'trigger';
TRUNCATE     : 'truncate';
TYPE         : 'type';
UNIQUE       : 'unique';
UNLOGGED     : 'unlogged';
UPDATE       : 'update';
USING        : 'using';
VACUUM       : 'vacuum';
VALID        : 'valid';
VALIDATE     : 'validate';
VALUE        : 'value';
VALUES       : 'values';
VIRTUAL      : 'virtual';
WHERE        : 'where';
WITH         : 'with';
WORK         : 'work';
ZONE         : 'zone';
TIME         : 'time';
WITHOUT      : 'without';
VARYING      : 'varying';
PRECISION    : 'precision';

// Placeholders of a query built in Python: %s, %(name)s, and str.format's {} / {name}.
PLACEHOLDER
    : '%s'
    | '%(' [a-z_0-9]+ ')s'
    | '{' [a-z_0-9]* '}'
    ;

// $1, $2: parameters of a prepared statement or a function body.
PARAM : '$' [0-9]+ ;

DOLLAR_STRING : '$' ( [a-z_] [a-z_0-9]* )? '$' { scanDollarBody(); } ;

// 'text' with '' for a quote; E'...' with backslash escapes; U&'...', B'...', X'...', N'...'.
STRING
    : ( 'n' | 'b' | 'x' | 'u&' )? '\'' ( ~'\'' | '\'\'' )* '\''?
    | 'e' '\'' ( ~[\\'] | '\\' . | '\'\'' )* '\''?
    ;

QUOTED_IDENT : ( 'u&' )? '"' ( ~'"' | '""' )* '"'? ;

// MySQL's quoted names: a RunSQL written for MySQL still names its tables.
BACKTICK_IDENT : '`' ( ~'`' | '``' )* '`'? ;

IDENT : [a-z_\u0080-\uFFFE] [a-z_0-9$\u0080-\uFFFE]* ;

NUMBER
    : [0-9]+ ( '.' [0-9]* )? ( 'e' [+-]? [0-9]+ )?
    | '.' [0-9]+ ( 'e' [+-]? [0-9]+ )?
    ;

SEMI     : ';' ;
COMMA    : ',' ;
DOT      : '.' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
CAST     : '::' ;
EQUALS   : '=' ;
STAR     : '*' ;

LINE_COMMENT  : '--' ~[\r\n]* -> channel(HIDDEN) ;
// PostgreSQL's block comments nest.
BLOCK_COMMENT : '/*' ( BLOCK_COMMENT | . )*? ( '*/' | EOF ) -> channel(HIDDEN) ;
WS            : [ \t\r\n\f]+ -> channel(HIDDEN) ;

// Operators and anything else: one character each; the parser skips what it does not read.
OTHER : . ;
