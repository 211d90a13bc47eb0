/*
 * migsafe's lexer for Python 3 (up to 3.13).
 *
 * Layout tokens (NEWLINE, INDENT, DEDENT) are produced by PythonLexerBase, which post-processes
 * the raw NEWLINE tokens below: it drops them inside brackets and on blank or comment-only lines,
 * and turns changes of indentation into INDENT/DEDENT.
 *
 * f-strings are lexed as ONE token: the FSTRING rule matches the prefix and the opening quote,
 * and PythonLexerBase.scanFString() consumes the rest, balancing nested replacement fields and
 * the nested strings PEP 701 allows. migsafe never needs an f-string's parts (it is an opaque
 * value to the evaluator), and one token is simpler and faster than lexer modes.
 */
lexer grammar PythonLexer;

options { superClass = PythonLexerBase; }

tokens { INDENT, DEDENT }

// Hard keywords
FALSE    : 'False';
NONE     : 'None';
TRUE     : 'True';
AND      : 'and';
AS       : 'as';
ASSERT   : 'assert';
ASYNC    : 'async';
AWAIT    : 'await';
BREAK    : 'break';
CLASS    : 'class';
CONTINUE : 'continue';
DEF      : 'def';
DEL      : 'del';
ELIF     : 'elif';
ELSE     : 'else';
EXCEPT   : 'except';
FINALLY  : 'finally';
FOR      : 'for';
FROM     : 'from';
GLOBAL   : 'global';
IF       : 'if';
IMPORT   : 'import';
IN       : 'in';
IS       : 'is';
LAMBDA   : 'lambda';
NONLOCAL : 'nonlocal';
NOT      : 'not';
OR       : 'or';
PASS     : 'pass';
RAISE    : 'raise';
RETURN   : 'return';
TRY      : 'try';
WHILE    : 'while';
WITH     : 'with';
YIELD    : 'yield';

// Soft keywords: own tokens, and the parser's `name` rule accepts them as identifiers too.
MATCH      : 'match';
CASE       : 'case';
TYPE       : 'type';
UNDERSCORE : '_';

NEWLINE : ( '\r'? '\n' | '\r' ) [ \t\f]* ;

FSTRING : F_PREFIX ( '\'\'\'' | '"""' | '\'' | '"' ) { scanFString(); } ;

STRING
    : STRING_PREFIX? ( SHORT_STRING | LONG_STRING )
    ;

NUMBER
    : INTEGER
    | FLOAT_NUMBER
    | IMAG_NUMBER
    ;

NAME : ID_START ID_CONTINUE* ;

// Operators and delimiters
ELLIPSIS    : '...';
DOT         : '.';
STAR        : '*';
OPEN_PAREN  : '(';
CLOSE_PAREN : ')';
COMMA       : ',';
COLON       : ':';
SEMI_COLON  : ';';
POWER       : '**';
ASSIGN      : '=';
OPEN_BRACK  : '[';
CLOSE_BRACK : ']';
OR_OP       : '|';
XOR         : '^';
AND_OP      : '&';
LEFT_SHIFT  : '<<';
RIGHT_SHIFT : '>>';
ADD         : '+';
MINUS       : '-';
DIV         : '/';
MOD         : '%';
IDIV        : '//';
NOT_OP      : '~';
OPEN_BRACE  : '{';
CLOSE_BRACE : '}';
LESS_THAN   : '<';
GREATER_THAN: '>';
EQUALS      : '==';
GT_EQ       : '>=';
LT_EQ       : '<=';
NOT_EQ      : '!=';
AT          : '@';
ARROW       : '->';
WALRUS      : ':=';
ADD_ASSIGN  : '+=';
SUB_ASSIGN  : '-=';
MULT_ASSIGN : '*=';
AT_ASSIGN   : '@=';
DIV_ASSIGN  : '/=';
MOD_ASSIGN  : '%=';
AND_ASSIGN  : '&=';
OR_ASSIGN   : '|=';
XOR_ASSIGN  : '^=';
LEFT_SHIFT_ASSIGN  : '<<=';
RIGHT_SHIFT_ASSIGN : '>>=';
POWER_ASSIGN       : '**=';
IDIV_ASSIGN        : '//=';

// Comments stay on the hidden channel: suppression comments (`# migsafe: ignore[...]`) are read
// from the token stream, so a '#' inside a string can never be mistaken for one.
COMMENT : '#' ~[\r\n]* -> channel(HIDDEN) ;

SKIP_ : ( [ \t\f]+ | LINE_JOINING ) -> skip ;

// An opening triple quote that no closing one follows (LONG_STRING would match longer):
// reported as an unterminated triple-quoted string rather than as an empty string plus garbage.
ERROR_TRIPLE_QUOTE : STRING_PREFIX? ( '\'\'\'' | '"""' ) ;

// Anything else is an error token the parser driver reports as "invalid character".
ERROR_CHAR : . ;

fragment LINE_JOINING : '\\' [ \t\f]* ( '\r'? '\n' | '\r' ) ;

fragment STRING_PREFIX
    : [rRuUbB]
    | [bB] [rR]
    | [rR] [bB]
    ;

// f-strings, and Python 3.14's template strings (t-strings), which lex the same way.
fragment F_PREFIX
    : [fFtT]
    | [fFtT] [rR]
    | [rR] [fFtT]
    ;

fragment SHORT_STRING
    : '\'' ( STRING_ESCAPE | ~[\\\r\n'] )* '\''
    | '"' ( STRING_ESCAPE | ~[\\\r\n"] )* '"'
    ;

fragment LONG_STRING
    : '\'\'\'' ( STRING_ESCAPE | ~'\\' )*? '\'\'\''
    | '"""' ( STRING_ESCAPE | ~'\\' )*? '"""'
    ;

// A backslash escapes any character, including a line break (a continuation inside a string).
fragment STRING_ESCAPE : '\\' ( '\r\n' | . ) ;

fragment INTEGER
    : DEC_INTEGER
    | '0' [bB] ( '_'? [01] )+
    | '0' [oO] ( '_'? [0-7] )+
    | '0' [xX] ( '_'? [0-9a-fA-F] )+
    ;

// Leading zeros are only allowed on zero itself: Python 2's 0777 lexes as 0 777 and fails to parse.
fragment DEC_INTEGER
    : [1-9] ( '_'? DIGIT )*
    | '0'+ ( '_'? '0' )*
    ;

fragment FLOAT_NUMBER
    : POINT_FLOAT
    | EXPONENT_FLOAT
    ;

fragment POINT_FLOAT
    : DIGIT_PART? '.' DIGIT_PART
    | DIGIT_PART '.'
    ;

fragment EXPONENT_FLOAT : ( DIGIT_PART | POINT_FLOAT ) [eE] [+-]? DIGIT_PART ;

fragment IMAG_NUMBER : ( FLOAT_NUMBER | DIGIT_PART ) [jJ] ;

fragment DIGIT_PART : DIGIT ( '_'? DIGIT )* ;

fragment DIGIT : [0-9] ;

fragment ID_START : [\p{L}\p{Nl}_] ;

fragment ID_CONTINUE : [\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_] ;
