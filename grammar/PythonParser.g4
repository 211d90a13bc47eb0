/*
 * migsafe's parser for Python 3 (up to 3.13).
 *
 * The shape follows the classic LL(1)-style Python grammar (one rule per precedence level),
 * extended with what later versions added: walrus, positional-only parameters, PEP 614
 * decorators, parenthesised context managers, match statements, except*, starred subscripts,
 * type aliases and PEP 695/696 type parameters. This shape lets ANTLR's SLL mode parse nearly
 * every file without the slower LL fallback.
 *
 * It is deliberately a little permissive where CPython checks later (for example the order of
 * parameter kinds): migsafe must accept every file CPython accepts, and it still rejects
 * Python-2-only syntax.
 */
parser grammar PythonParser;

options { tokenVocab = PythonLexer; }

file_input : ( NEWLINE | stmt )* EOF ;

stmt : simple_stmts | compound_stmt ;

simple_stmts : simple_stmt ( SEMI_COLON simple_stmt )* SEMI_COLON? NEWLINE ;

simple_stmt
    : type_alias_stmt
    | expr_stmt
    | del_stmt
    | pass_stmt
    | flow_stmt
    | import_stmt
    | global_stmt
    | nonlocal_stmt
    | assert_stmt
    ;

expr_stmt
    : testlist_star_expr
      ( annassign
      | augassign ( yield_expr | testlist_star_expr )
      | ( ASSIGN ( yield_expr | testlist_star_expr ) )*
      )
    ;

annassign : COLON test ( ASSIGN ( yield_expr | testlist_star_expr ) )? ;

testlist_star_expr : ( test | star_expr ) ( COMMA ( test | star_expr ) )* COMMA? ;

augassign
    : ADD_ASSIGN | SUB_ASSIGN | MULT_ASSIGN | AT_ASSIGN | DIV_ASSIGN | MOD_ASSIGN | AND_ASSIGN
    | OR_ASSIGN | XOR_ASSIGN | LEFT_SHIFT_ASSIGN | RIGHT_SHIFT_ASSIGN | POWER_ASSIGN | IDIV_ASSIGN
    ;

del_stmt : DEL exprlist ;

pass_stmt : PASS ;

flow_stmt : BREAK | CONTINUE | return_stmt | raise_stmt | yield_expr ;

return_stmt : RETURN testlist_star_expr? ;

raise_stmt : RAISE ( test ( FROM test )? )? ;

import_stmt : import_name | import_from ;

import_name : IMPORT dotted_as_names ;

import_from
    : FROM ( ( DOT | ELLIPSIS )* dotted_name | ( DOT | ELLIPSIS )+ )
      IMPORT ( STAR | OPEN_PAREN import_as_names COMMA? CLOSE_PAREN | import_as_names )
    ;

import_as_name : name ( AS name )? ;

dotted_as_name : dotted_name ( AS name )? ;

import_as_names : import_as_name ( COMMA import_as_name )* ;

dotted_as_names : dotted_as_name ( COMMA dotted_as_name )* ;

dotted_name : name ( DOT name )* ;

global_stmt : GLOBAL name ( COMMA name )* ;

nonlocal_stmt : NONLOCAL name ( COMMA name )* ;

assert_stmt : ASSERT test ( COMMA test )? ;

type_alias_stmt : TYPE name type_params? ASSIGN test ;

compound_stmt
    : if_stmt
    | while_stmt
    | for_stmt
    | try_stmt
    | with_stmt
    | funcdef
    | classdef
    | decorated
    | async_stmt
    | match_stmt
    ;

async_stmt : ASYNC ( funcdef | with_stmt | for_stmt ) ;

if_stmt : IF namedexpr_test COLON block ( ELIF namedexpr_test COLON block )* ( ELSE COLON block )? ;

while_stmt : WHILE namedexpr_test COLON block ( ELSE COLON block )? ;

for_stmt : FOR exprlist IN testlist_star_expr COLON block ( ELSE COLON block )? ;

try_stmt
    : TRY COLON block
      ( ( except_clause COLON block )+ ( ELSE COLON block )? ( FINALLY COLON block )?
      | FINALLY COLON block
      )
    ;

// Python 3.14 (PEP 758) allows `except A, B:` without parentheses when there is no `as`;
// projects that target 3.14 already write it in migrations, so it is accepted.
except_clause : EXCEPT STAR? ( test ( AS name | ( COMMA test )+ )? )? ;

with_stmt
    : WITH ( OPEN_PAREN with_item ( COMMA with_item )* COMMA? CLOSE_PAREN
           | with_item ( COMMA with_item )*
           ) COLON block
    ;

with_item : test ( AS expr )? ;

block : simple_stmts | NEWLINE INDENT stmt+ DEDENT ;

decorator : AT namedexpr_test NEWLINE ;

decorated : decorator+ ( classdef | funcdef | async_funcdef ) ;

async_funcdef : ASYNC funcdef ;

funcdef : DEF name type_params? parameters ( ARROW test )? COLON block ;

parameters : OPEN_PAREN typedargslist? CLOSE_PAREN ;

typedargslist : typed_param ( COMMA typed_param )* COMMA? ;

typed_param
    : tfpdef ( ASSIGN test )?
    | STAR ( name ( COLON ( test | star_expr ) )? )?
    | POWER tfpdef
    | DIV
    ;

tfpdef : name ( COLON test )? ;

varargslist : lambda_param ( COMMA lambda_param )* COMMA? ;

lambda_param
    : name ( ASSIGN test )?
    | STAR name?
    | POWER name
    | DIV
    ;

classdef : CLASS name type_params? ( OPEN_PAREN arglist? CLOSE_PAREN )? COLON block ;

type_params : OPEN_BRACK type_param ( COMMA type_param )* COMMA? CLOSE_BRACK ;

type_param
    : name ( COLON test )? ( ASSIGN test )?
    | STAR name ( ASSIGN ( test | star_expr ) )?
    | POWER name ( ASSIGN test )?
    ;

// match statement (3.10). `match` and `case` are soft keywords: the lexer gives them their own
// tokens and `name` accepts them, so `match = 1` and `match(x)` still parse as expressions.
match_stmt : MATCH subject_expr COLON NEWLINE INDENT case_block+ DEDENT ;

subject_expr : ( namedexpr_test | star_expr ) ( COMMA ( namedexpr_test | star_expr ) )* COMMA? ;

case_block : CASE patterns ( IF namedexpr_test )? COLON block ;

patterns : pattern ( COMMA pattern )* COMMA? ;

pattern : or_pattern ( AS name )? ;

or_pattern : closed_pattern ( OR_OP closed_pattern )* ;

closed_pattern
    : literal_pattern
    | dotted_name ( OPEN_PAREN pattern_args? CLOSE_PAREN )?
    | OPEN_PAREN patterns? CLOSE_PAREN
    | OPEN_BRACK patterns? CLOSE_BRACK
    | OPEN_BRACE mapping_items? CLOSE_BRACE
    | STAR name
    ;

literal_pattern
    : MINUS? NUMBER ( ( ADD | MINUS ) NUMBER )?
    | strings
    | NONE
    | TRUE
    | FALSE
    ;

pattern_args : pattern_arg ( COMMA pattern_arg )* COMMA? ;

pattern_arg : name ASSIGN pattern | pattern ;

mapping_items : mapping_item ( COMMA mapping_item )* COMMA? ;

mapping_item : ( literal_pattern | dotted_name ) COLON pattern | POWER name ;

// Expressions, one rule per precedence level.
namedexpr_test : test ( WALRUS test )? ;

test : or_test ( IF or_test ELSE test )? | lambdef ;

lambdef : LAMBDA varargslist? COLON test ;

or_test : and_test ( OR and_test )* ;

and_test : not_test ( AND not_test )* ;

not_test : NOT not_test | comparison ;

comparison : expr ( comp_op expr )* ;

comp_op
    : LESS_THAN | GREATER_THAN | EQUALS | GT_EQ | LT_EQ | NOT_EQ
    | IN | NOT IN | IS | IS NOT
    ;

star_expr : STAR expr ;

expr : xor_expr ( OR_OP xor_expr )* ;

xor_expr : and_expr ( XOR and_expr )* ;

and_expr : shift_expr ( AND_OP shift_expr )* ;

shift_expr : arith_expr ( ( LEFT_SHIFT | RIGHT_SHIFT ) arith_expr )* ;

arith_expr : term ( ( ADD | MINUS ) term )* ;

term : factor ( ( STAR | AT | DIV | MOD | IDIV ) factor )* ;

factor : ( ADD | MINUS | NOT_OP ) factor | power ;

power : AWAIT? atom trailer* ( POWER factor )? ;

atom
    : OPEN_PAREN ( yield_expr | testlist_comp )? CLOSE_PAREN
    | OPEN_BRACK testlist_comp? CLOSE_BRACK
    | OPEN_BRACE dictorsetmaker? CLOSE_BRACE
    | name
    | NUMBER
    | strings
    | ELLIPSIS
    | NONE
    | TRUE
    | FALSE
    ;

strings : ( STRING | FSTRING )+ ;

name : NAME | MATCH | CASE | TYPE | UNDERSCORE ;

testlist_comp
    : ( namedexpr_test | star_expr ) ( comp_for | ( COMMA ( namedexpr_test | star_expr ) )* COMMA? )
    ;

trailer
    : OPEN_PAREN arglist? CLOSE_PAREN
    | OPEN_BRACK subscriptlist CLOSE_BRACK
    | DOT name
    ;

subscriptlist : subscript ( COMMA subscript )* COMMA? ;

subscript
    : namedexpr_test
    | test? COLON test? ( COLON test? )?
    | star_expr
    ;

exprlist : ( expr | star_expr ) ( COMMA ( expr | star_expr ) )* COMMA? ;

testlist : test ( COMMA test )* COMMA? ;

dictorsetmaker
    : dict_item ( comp_for | ( COMMA dict_item )* COMMA? )
    | ( namedexpr_test | star_expr ) ( comp_for | ( COMMA ( namedexpr_test | star_expr ) )* COMMA? )
    ;

dict_item : test COLON test | POWER expr ;

arglist : argument ( COMMA argument )* COMMA? ;

argument
    : name ASSIGN test
    | name WALRUS test
    | test comp_for?
    | POWER test
    | STAR test
    ;

comp_for : ASYNC? FOR exprlist IN or_test ( comp_for | comp_if )? ;

comp_if : IF or_test ( comp_for | comp_if )? ;

yield_expr : YIELD ( FROM test | testlist_star_expr )? ;
